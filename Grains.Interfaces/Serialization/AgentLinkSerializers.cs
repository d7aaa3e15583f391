using OrleansDcos.AgentLink;

// The agent link's records cross grain boundaries too (registrations, launches, status updates): Orleans' code
// generator makes their serializers here, since the link's assembly carries only the attributes.
[assembly: Orleans.GenerateCodeForDeclaringAssembly(typeof(AgentInfo))]
